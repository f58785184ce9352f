export { deleteCommand } from './delete-command.js';
