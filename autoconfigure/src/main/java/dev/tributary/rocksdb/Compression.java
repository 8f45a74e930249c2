package dev.tributary.rocksdb;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.rocksdb.CompressionType;

/**
 * The compression of a RocksDB store's files, by the names used in configuration.
 */
public enum Compression {

	/**
	 * No compression: Kafka Streams' default.
	 */
	NONE(CompressionType.NO_COMPRESSION),

	/**
	 * Snappy: fast, moderate ratio.
	 */
	SNAPPY(CompressionType.SNAPPY_COMPRESSION),

	/**
	 * LZ4: fast, moderate ratio.
	 */
	LZ4(CompressionType.LZ4_COMPRESSION),

	/**
	 * LZ4 high compression: slower writes, better ratio than LZ4.
	 */
	LZ4HC(CompressionType.LZ4HC_COMPRESSION),

	/**
	 * Zstandard: good ratio at moderate cost.
	 */
	ZSTD(CompressionType.ZSTD_COMPRESSION),

	/**
	 * Zlib: good ratio, slow.
	 */
	ZLIB(CompressionType.ZLIB_COMPRESSION),

	/**
	 * Bzip2: good ratio, slowest.
	 */
	BZIP2(CompressionType.BZLIB2_COMPRESSION);

	private final CompressionType type;

	Compression(CompressionType type) {
		this.type = type;
	}

	/**
	 * The RocksDB compression type.
	 * @return the type
	 */
	public CompressionType type() {
		return this.type;
	}

	/**
	 * The name used in configuration.
	 * @return the lower-case name, such as {@code zstd}
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Finds a compression by its configuration name, ignoring case.
	 * @param name the name, such as {@code lz4}
	 * @return the compression, or empty if there is none of that name
	 */
	public static Optional<Compression> fromConfigName(String name) {
		return Arrays.stream(values()).filter((c) -> c.configName().equalsIgnoreCase(name.trim())).findFirst();
	}

	/**
	 * The valid configuration names.
	 * @return the names, in declaration order
	 */
	public static List<String> configNames() {
		return Arrays.stream(values()).map(Compression::configName).toList();
	}

}
