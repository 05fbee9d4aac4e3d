export { createRedisStore } from './store/create-redis-store.ts';
export type { RedisStore, RedisStoreStatus } from './store/create-redis-store.ts';
export { createRedisStoreFromUrl } from './store/create-redis-store-from-url.ts';
export type { RedisStoreFromUrlOptions } from './store/create-redis-store-from-url.ts';
export type {
  BorrowOptions,
  RedisBreakerOptions,
  RedisStoreOptions,
  UnavailablePolicy,
} from './store/redis-store-options.ts';
export type { RedisClient } from './store/redis-client.ts';
