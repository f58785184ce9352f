export { crushCommand } from './crush-command.js';
