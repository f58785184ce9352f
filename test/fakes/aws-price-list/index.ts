export { fakePriceList } from './fake-price-list.js';
export type { FakePriceList } from './fake-price-list.js';
export { ec2Catalogue, ec2Product } from './products.js';
export type { Ec2PriceSpec } from './products.js';
