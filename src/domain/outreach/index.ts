export * from './errors';
export * from './format';
export * from './gsm';
export * from './render';
export * from './templates';
export * from './work-item';
