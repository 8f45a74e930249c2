/**
 * One bounded off-heap memory budget for every RocksDB store, per-store options and
 * RocksDB metrics.
 */
@NullMarked
package dev.tributary.rocksdb;

import org.jspecify.annotations.NullMarked;
