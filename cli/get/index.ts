export { createGetCommand, getCommand } from './get-command.js';
