export { createPricesCommand, pricesCommand } from './prices-command.js';
