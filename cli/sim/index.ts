export { simCommand } from './sim-command.js';
