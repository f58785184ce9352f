export { createCommand } from './create-command.js';
