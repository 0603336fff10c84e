export * from './ports';
export * from './process-event';
export * from './process-records';
export * from './config';
