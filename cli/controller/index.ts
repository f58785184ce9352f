export { controllerCommand } from './controller-command.js';
