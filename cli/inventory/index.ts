export { inventoryCommand } from './inventory-command.js';
