export * from './types';
export * from './addresses';
export * from './keywords';
export * from './ses';
export * from './sms';
export * from './envelopes';
export * from './suppression';
