package dev.tributary.query.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs and verifies the requests and answers of Tributary's internal peer channel (see
 * the package description) with HMAC-SHA256 and a secret every instance shares.
 *
 * <p>A request's signature covers a version tag, the method, the path, a timestamp
 * (epoch seconds, accepted within {@link #MAX_CLOCK_SKEW} of this instance's clock) and
 * the SHA-256 of the body. An answer's signature covers the request's signature, the
 * status and the SHA-256 of the body, so that an answer cannot be forged, nor one
 * request's answer passed off as another's, by anyone without the secret. Signatures are
 * compared in constant time. A request may be replayed within the clock skew window; the
 * channel only reads, so a replay learns nothing the recorded answer did not show.
 *
 * <p>Thread-safe.
 */
public final class PeerSigner {

	/** The request header that carries the timestamp, in epoch seconds. */
	public static final String TIMESTAMP_HEADER = "X-Tributary-Peer-Timestamp";

	/** The request and response header that carries the signature. */
	public static final String SIGNATURE_HEADER = "X-Tributary-Peer-Signature";

	/** How far a request's timestamp may be from this instance's clock. */
	public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

	/** The fewest characters a secret may have. */
	public static final int MIN_SECRET_LENGTH = 16;

	// Part of every signed text: a later format signs differently and cannot be confused.
	private static final String VERSION = "tributary-peer-v1";

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final Mac prototype;

	private final Clock clock;

	/**
	 * Creates a signer.
	 * @param secret the shared secret, at least {@value #MIN_SECRET_LENGTH} characters
	 * @throws IllegalArgumentException if the secret is shorter
	 */
	public PeerSigner(String secret) {
		this(secret, Clock.systemUTC());
	}

	/**
	 * Creates a signer with its own clock.
	 * @param secret the shared secret, at least {@value #MIN_SECRET_LENGTH} characters
	 * @param clock the clock timestamps are taken from and checked against
	 * @throws IllegalArgumentException if the secret is shorter
	 */
	public PeerSigner(String secret, Clock clock) {
		if (secret.length() < MIN_SECRET_LENGTH) {
			throw new IllegalArgumentException("The secret has " + secret.length() + " characters; at least "
					+ MIN_SECRET_LENGTH + " are needed (32 random ones are better)");
		}
		try {
			this.prototype = Mac.getInstance(ALGORITHM);
			this.prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
		this.clock = clock;
	}

	/**
	 * The timestamp to sign a request with now.
	 * @return the current time in epoch seconds
	 */
	public long timestamp() {
		return this.clock.instant().getEpochSecond();
	}

	/**
	 * Signs a request.
	 * @param method the HTTP method
	 * @param path the request path, as sent (including any context path)
	 * @param timestamp the timestamp sent with it, from {@link #timestamp()}
	 * @param body the request body
	 * @return the signature, for the {@value #SIGNATURE_HEADER} header
	 */
	public String signRequest(String method, String path, long timestamp, byte[] body) {
		return sign(VERSION + "\nrequest\n" + method + "\n" + path + "\n" + timestamp + "\n" + sha256(body));
	}

	/**
	 * Checks a request's timestamp, which can be done before its body is read.
	 * @param timestamp the {@value #TIMESTAMP_HEADER} header, or {@code null}
	 * @return what is wrong with it, or {@code null} if it is acceptable
	 */
	public @Nullable String timestampProblem(@Nullable String timestamp) {
		if (timestamp == null) {
			return "no " + TIMESTAMP_HEADER + " header";
		}
		long seconds;
		try {
			seconds = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			return TIMESTAMP_HEADER + " is not a number of seconds";
		}
		long skew = Math.abs(timestamp() - seconds);
		if (skew > MAX_CLOCK_SKEW.toSeconds()) {
			return "the request's timestamp is " + skew + " s away from this instance's clock (at most "
					+ MAX_CLOCK_SKEW.toSeconds() + " s are accepted)";
		}
		return null;
	}

	/**
	 * Verifies a request's timestamp and signature.
	 * @param method the HTTP method
	 * @param path the request path, as received (including any context path)
	 * @param timestamp the {@value #TIMESTAMP_HEADER} header, or {@code null}
	 * @param signature the {@value #SIGNATURE_HEADER} header, or {@code null}
	 * @param body the request body
	 * @return what is wrong with the request, or {@code null} if it is authentic
	 */
	public @Nullable String requestProblem(String method, String path, @Nullable String timestamp,
			@Nullable String signature, byte[] body) {
		String timestampProblem = timestampProblem(timestamp);
		if (timestampProblem != null) {
			return timestampProblem;
		}
		if (signature == null) {
			return "no " + SIGNATURE_HEADER + " header";
		}
		if (!matches(signRequest(method, path, Long.parseLong(timestamp), body), signature)) {
			return "the signature does not match";
		}
		return null;
	}

	/**
	 * Signs an answer to a request.
	 * @param requestSignature the signature of the request answered
	 * @param status the HTTP status
	 * @param body the answer's body
	 * @return the signature, for the {@value #SIGNATURE_HEADER} response header
	 */
	public String signResponse(String requestSignature, int status, byte[] body) {
		return sign(VERSION + "\nresponse\n" + requestSignature + "\n" + status + "\n" + sha256(body));
	}

	/**
	 * Verifies an answer.
	 * @param requestSignature the signature of the request it answers
	 * @param status the HTTP status received
	 * @param body the body received
	 * @param signature the {@value #SIGNATURE_HEADER} response header, or {@code null}
	 * @return whether the answer was signed with the shared secret for this request
	 */
	public boolean isAuthenticResponse(String requestSignature, int status, byte[] body, @Nullable String signature) {
		return signature != null && matches(signResponse(requestSignature, status, body), signature);
	}

	private String sign(String text) {
		return ENCODER.encodeToString(mac().doFinal(text.getBytes(StandardCharsets.UTF_8)));
	}

	private Mac mac() {
		try {
			return (Mac) this.prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("HMAC-SHA256 implementation cannot be copied", ex);
		}
	}

	private static boolean matches(String expected, String actual) {
		byte[] received;
		try {
			received = DECODER.decode(actual);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(DECODER.decode(expected), received);
	}

	private static String sha256(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
