export { describeCommand } from './describe-command.js';
