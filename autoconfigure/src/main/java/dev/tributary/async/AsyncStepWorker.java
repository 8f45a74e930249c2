package dev.tributary.async;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.tributary.errors.DeadLetterHeaders;
import dev.tributary.errors.ErrorKind;
import dev.tributary.errors.ErrorHandling;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Runs one async step of one processor on this instance: reads the step's requests
 * topic with a consumer group of its own, calls the step's function for many records at
 * once while each key waits for its earlier records, writes results to the results topic
 * and commits only the contiguous prefix of finished records of each partition.
 *
 * <p>The polling thread never waits for a call: when the step's buffers are full it pauses
 * its partitions and keeps polling, so a slow call never makes the member leave its group.
 *
 * <p>At-least-once: a key's results are written as soon as they and the key's earlier
 * results are done; offsets are committed up to the first record whose result the broker
 * has not acknowledged. Exactly-once: results are written in offset order inside a
 * transaction that also commits the offsets, so a commit never covers an unfinished record
 * and never includes a result whose input is not committed with it.
 */
final class AsyncStepWorker<K, V, R> implements Runnable {

	private static final Log logger = LogFactory.getLog(AsyncStepWorker.class);

	static final String STEP_HEADER = DeadLetterHeaders.ASYNC_STEP;

	private static final int MAX_CONSECUTIVE_ABORTS = 3;

	private static final int MAX_COMMIT_ATTEMPTS = 10;

	private final AsyncStepDefinition<K, V, R> definition;

	private final KafkaConsumer<byte[], byte[]> consumer;

	private final KafkaProducer<byte[], byte[]> producer;

	private final WorkQueues queues;

	private final AsyncStepStats stats;

	private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

	private final ScheduledExecutorService timers;

	private final @Nullable ExecutorService blockingPool;

	private final Thread thread;

	private final Consumer<Throwable> onFailure;

	// The processor is paused: no new calls, no new records; calls under way finish.
	private final BooleanSupplier paused;

	private volatile boolean running = true;

	private boolean inTransaction;

	private long nextCommitNanos;

	// Set by the producer's network thread under exactly-once, read by the polling thread.
	private volatile @Nullable Exception sendFailure;

	// Transactions aborted since the last commit that went through: a failure that every
	// retry meets again (a result too large for the topic) stops the step instead of looping.
	private int consecutiveAborts;

	// Set in a rebalance callback: rethrown after the poll, or acted on at the next assignment.
	private @Nullable RuntimeException pendingFailure;

	private boolean rewindAfterRebalance;

	AsyncStepWorker(AsyncStepDefinition<K, V, R> definition, AsyncStepClients clients, AsyncStepStats stats,
			Consumer<Throwable> onFailure, BooleanSupplier paused) {
		this.definition = definition;
		this.onFailure = onFailure;
		this.paused = paused;
		this.consumer = clients.consumer();
		this.producer = clients.producer();
		this.queues = new WorkQueues(definition.options().maxInFlightPerKey());
		this.stats = stats;
		String name = "tributary-async-" + definition.processor() + "-" + definition.step().name();
		AtomicInteger count = new AtomicInteger();
		this.timers = Executors.newSingleThreadScheduledExecutor((runnable) -> daemon(runnable, name + "-timer"));
		this.blockingPool = (definition.step().blockingCall() != null) ? Executors.newFixedThreadPool(
				definition.options().maxInFlight(), (runnable) -> daemon(runnable, name + "-call-" + count.incrementAndGet()))
				: null;
		this.thread = new Thread(this, name);
		// Stopped with its processor; a worker that outlives its close timeout must not keep the JVM up.
		this.thread.setDaemon(true);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	void start() {
		this.stats.running(true);
		this.thread.start();
	}

	/**
	 * Stops the worker: calls under way are abandoned (their records are read again by
	 * whoever next owns their partitions) and the finished prefix is committed.
	 * @param timeout how long to wait for the worker to finish
	 * @return whether it finished in time
	 */
	boolean stop(Duration timeout) {
		this.running = false;
		this.consumer.wakeup();
		try {
			this.thread.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !this.thread.isAlive();
	}

	@Override
	public void run() {
		AsyncStepOptions options = this.definition.options();
		try {
			if (this.definition.exactlyOnce()) {
				this.producer.initTransactions();
			}
			this.consumer.subscribe(List.of(this.definition.requestsTopic()), new Rebalance());
			this.nextCommitNanos = System.nanoTime() + this.definition.commitInterval().toNanos();
			while (this.running) {
				poll();
				applyEvents();
				boolean processorPaused = this.paused.getAsBoolean();
				if (!processorPaused) {
					for (Work work : this.queues.start(options.maxInFlight() - this.queues.inFlight())) {
						call(work);
					}
				}
				if (this.definition.exactlyOnce()) {
					releaseInOffsetOrder();
				}
				else {
					this.queues.releaseHeads((work) -> work.status == Work.Status.ACKED, (work) -> {
					});
				}
				if (System.nanoTime() - this.nextCommitNanos >= 0) {
					commit();
				}
				applyBackpressure(processorPaused);
				publishStats();
			}
			finish();
		}
		catch (WakeupException ex) {
			if (this.running) {
				fail(ex);
			}
			else {
				finishQuietly();
			}
		}
		catch (Throwable ex) {
			fail(ex);
		}
		finally {
			this.stats.running(false);
			this.queues.remove(Set.copyOf(this.consumer.assignment()));
			publishStats();
			close();
		}
	}

	private void poll() {
		// Short polls while calls are under way or their results wait, so that they are
		// picked up soon; a poll returns as soon as records arrive anyway. Never a zero
		// timeout: spinning would take the CPU the calls and Kafka Streams need.
		Duration timeout = (this.queues.inFlight() > 0 || !this.events.isEmpty()) ? Duration.ofMillis(5)
				: Duration.ofMillis(100);
		ConsumerRecords<byte[], byte[]> records;
		try {
			records = this.consumer.poll(timeout);
		}
		catch (WakeupException ex) {
			if (this.running) {
				throw ex;
			}
			return;
		}
		RuntimeException failure = this.pendingFailure;
		if (failure != null) {
			this.pendingFailure = null;
			throw failure;
		}
		for (ConsumerRecord<byte[], byte[]> record : records) {
			this.queues.add(record);
		}
	}

	private void call(Work work) {
		work.attempts++;
		work.startedNanos = System.nanoTime();
		try {
			K key = this.definition.keyDeserializer().deserialize(work.record.topic(), work.record.headers(),
					work.record.key());
			V value = this.definition.valueDeserializer().deserialize(work.record.topic(), work.record.headers(),
					work.record.value());
			AsyncCall<K, V, R> asyncCall = this.definition.step().asyncCall();
			if (asyncCall != null) {
				CompletionStage<R> stage = asyncCall.call(key, value);
				if (stage instanceof CompletableFuture<R> future && future.isDone()) {
					// Answered at once (a cache hit, a no-op): no timer, no extra futures.
					this.events.add(done(work, future));
					return;
				}
				awaitResult(work, stage, null);
			}
			else {
				CompletableFuture<R> result = new CompletableFuture<>();
				long timeoutMillis = this.definition.options().timeout().toMillis();
				work.task = this.blockingPool.submit(() -> {
					// The timeout counts from when the call runs, not from when it waits for a thread.
					result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
					try {
						result.complete(this.definition.step().blockingCall().call(key, value));
					}
					catch (Throwable ex) {
						result.completeExceptionally(ex);
					}
				});
				awaitResult(work, result, work.task);
			}
		}
		catch (RuntimeException ex) {
			this.events.add(new CallDone(work, null, ex));
		}
	}

	/** Hands the call's outcome, or its timeout, to the polling thread. */
	private void awaitResult(Work work, @Nullable CompletionStage<R> stage, @Nullable Future<?> task) {
		if (stage == null) {
			this.events.add(new CallDone(work, null,
					new IllegalStateException("the call returned null instead of a CompletionStage")));
			return;
		}
		CompletableFuture<R> result = new CompletableFuture<>();
		stage.whenComplete((answer, error) -> {
			if (error != null) {
				result.completeExceptionally(error);
			}
			else {
				result.complete(answer);
			}
		});
		if (task == null) {
			result.orTimeout(this.definition.options().timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		result.whenComplete((answer, error) -> {
			if (task != null && error != null) {
				task.cancel(true);
			}
			this.events.add(new CallDone(work, answer, error));
		});
	}

	private CallDone done(Work work, CompletableFuture<R> completed) {
		try {
			return new CallDone(work, completed.join(), null);
		}
		catch (CompletionException | java.util.concurrent.CancellationException ex) {
			return new CallDone(work, null, ex);
		}
	}

	private void applyEvents() {
		Event event;
		while ((event = this.events.poll()) != null) {
			if (event instanceof CallDone done) {
				callDone(done);
			}
			else if (event instanceof Retry retry) {
				if (this.queues.holds(retry.work())) {
					call(retry.work());
				}
			}
			else if (event instanceof Acked acked) {
				acked(acked);
			}
		}
	}

	private void callDone(CallDone done) {
		Work work = done.work();
		if (!this.queues.holds(work) || work.status != Work.Status.RUNNING) {
			return;
		}
		this.stats.attemptFinished(System.nanoTime() - work.startedNanos);
		Throwable error = unwrap(done.error());
		Work.Outcome outcome;
		if (error == null) {
			try {
				@SuppressWarnings("unchecked")
				R result = (R) done.result();
				outcome = Work.Outcome.result(this.definition.resultSerializer()
					.serialize(this.definition.resultsTopic(), work.record.headers(), result));
				this.stats.succeeded.increment();
			}
			catch (RuntimeException ex) {
				outcome = finalFailure(work, new AsyncStepException("the result could not be serialized", ex));
			}
		}
		else {
			this.stats.failed.increment();
			if (error instanceof TimeoutException) {
				this.stats.timedOut.increment();
				error = new TimeoutException("the call took longer than " + this.definition.options().timeout());
			}
			if (work.attempts <= this.definition.options().retries()) {
				this.stats.retries.increment();
				long backoff = this.definition.options().backoff().toMillis() << Math.min(20, work.attempts - 1);
				this.timers.schedule(() -> this.events.add(new Retry(work)), backoff, TimeUnit.MILLISECONDS);
				return;
			}
			outcome = finalFailure(work, error);
		}
		List<Work> released = this.queues.finish(work, outcome);
		if (!this.definition.exactlyOnce()) {
			released.forEach(this::send);
		}
	}

	private Work.Outcome finalFailure(Work work, Throwable error) {
		ErrorHandling handling = this.definition.errorHandling();
		String where = "Async step '" + this.definition.step().name() + "' of processor '"
				+ this.definition.processor() + "': the call for " + work.partition + "@" + work.offset()
				+ " failed after " + work.attempts + " attempt(s)";
		return switch (handling) {
			case FAIL -> throw new AsyncStepException(where + "; stopping the step (error handling 'fail')", error);
			case LOG_AND_CONTINUE -> {
				this.stats.skipped.increment();
				logger.warn(where + "; skipped (log-and-continue): " + error);
				yield Work.Outcome.skip(error);
			}
			case DEAD_LETTER -> {
				this.stats.deadLettered.increment();
				logger.warn(where + "; sent to '" + this.definition.deadLetterTopic() + "': " + error);
				yield Work.Outcome.deadLetter(error);
			}
		};
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable error) {
		Throwable unwrapped = error;
		while (unwrapped instanceof CompletionException && unwrapped.getCause() != null) {
			unwrapped = unwrapped.getCause();
		}
		return unwrapped;
	}

	private void releaseInOffsetOrder() {
		this.queues.releaseHeads((work) -> work.status == Work.Status.DONE, this::send);
	}

	private void send(Work work) {
		Work.Outcome outcome = work.outcome;
		ProducerRecord<byte[], byte[]> record = toRecord(work, outcome);
		if (record == null) {
			work.status = Work.Status.ACKED;
			return;
		}
		work.status = Work.Status.SENT;
		if (this.definition.exactlyOnce()) {
			if (!this.inTransaction) {
				this.producer.beginTransaction();
				this.inTransaction = true;
			}
			this.producer.send(record, (metadata, error) -> {
				if (error != null && this.sendFailure == null) {
					this.sendFailure = error;
				}
			});
		}
		else {
			String topic = record.topic();
			this.producer.send(record, (metadata, error) -> this.events.add(new Acked(work, topic, error)));
		}
	}

	private @Nullable ProducerRecord<byte[], byte[]> toRecord(Work work, Work.Outcome outcome) {
		ConsumerRecord<byte[], byte[]> input = work.record;
		if (outcome.deadLetter()) {
			ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(this.definition.deadLetterTopic(), null,
					input.timestamp(), input.key(), input.value());
			Headers headers = deadLetter.headers();
			for (org.apache.kafka.common.header.Header header : input.headers()) {
				if (!DeadLetterHeaders.isErrorHeader(header.key())) {
					headers.add(header);
				}
			}
			Throwable failure = outcome.failure();
			headers.add(DeadLetterHeaders.EXCEPTION, bytes(failure.getClass().getName()));
			headers.add(DeadLetterHeaders.MESSAGE, bytes(String.valueOf(failure.getMessage())));
			headers.add(DeadLetterHeaders.STACKTRACE, bytes(stackTrace(failure)));
			headers.add(DeadLetterHeaders.TOPIC, bytes(input.topic()));
			headers.add(DeadLetterHeaders.PARTITION, bytes(String.valueOf(input.partition())));
			headers.add(DeadLetterHeaders.OFFSET, bytes(String.valueOf(input.offset())));
			headers.add(DeadLetterHeaders.TIMESTAMP, bytes(String.valueOf(input.timestamp())));
			headers.add(DeadLetterHeaders.PROCESSOR, bytes(this.definition.processor()));
			headers.add(STEP_HEADER, bytes(this.definition.step().name()));
			headers.add(DeadLetterHeaders.KIND, bytes(ErrorKind.PROCESSING.tag()));
			return deadLetter;
		}
		if (!outcome.writes()) {
			return null;
		}
		return new ProducerRecord<>(this.definition.resultsTopic(), input.partition(), input.timestamp(), input.key(),
				outcome.result(), input.headers());
	}

	private void commit() {
		this.nextCommitNanos = System.nanoTime() + this.definition.commitInterval().toNanos();
		Map<TopicPartition, OffsetAndMetadata> offsets = this.queues.takeCommittable();
		if (this.definition.exactlyOnce()) {
			try {
				commitTransaction(offsets);
			}
			catch (org.apache.kafka.common.errors.ProducerFencedException
					| org.apache.kafka.common.errors.AuthorizationException ex) {
				throw ex;
			}
			catch (KafkaException ex) {
				// An abortable error (this member's generation is stale after a rebalance):
				// nothing of the transaction counts, so read every held partition again.
				if (++this.consecutiveAborts > MAX_CONSECUTIVE_ABORTS) {
					throw new AsyncStepException("Async step '" + this.definition.step().name() + "' of processor '"
							+ this.definition.processor() + "': " + this.consecutiveAborts
							+ " transactions in a row failed to commit", ex);
				}
				logger.warn("Async step '" + this.definition.step().name() + "' of processor '"
						+ this.definition.processor() + "': transaction aborted, records since the last commit are "
						+ "processed again: " + ex);
				this.producer.abortTransaction();
				this.inTransaction = false;
				this.sendFailure = null;
				Set<TopicPartition> held = Set.copyOf(this.consumer.assignment());
				this.queues.remove(held);
				rewind(held);
			}
		}
		else if (!offsets.isEmpty()) {
			this.consumer.commitAsync(offsets, (committed, error) -> {
				if (error == null) {
					this.queues.committed(committed);
				}
				else {
					logger.debug("Async step '" + this.definition.step().name() + "': commit failed, retried later: "
							+ error);
				}
			});
		}
	}

	private void commitTransaction(Map<TopicPartition, OffsetAndMetadata> offsets) {
		if (!this.inTransaction && offsets.isEmpty()) {
			return;
		}
		if (!this.inTransaction) {
			this.producer.beginTransaction();
			this.inTransaction = true;
		}
		if (!offsets.isEmpty()) {
			this.producer.sendOffsetsToTransaction(offsets, this.consumer.groupMetadata());
		}
		commitWithRetries();
		this.inTransaction = false;
		this.consecutiveAborts = 0;
		if (this.sendFailure != null) {
			throw new AsyncStepException("a result could not be written", this.sendFailure);
		}
		this.queues.committed(offsets);
	}

	/**
	 * A commit that timed out (the broker is unreachable for longer than max.block.ms) must
	 * be retried as such: the producer refuses an abort after it.
	 */
	private void commitWithRetries() {
		for (int attempt = 1;; attempt++) {
			try {
				this.producer.commitTransaction();
				return;
			}
			catch (org.apache.kafka.common.errors.TimeoutException ex) {
				if (attempt >= MAX_COMMIT_ATTEMPTS) {
					throw new AsyncStepException("Async step '" + this.definition.step().name() + "' of processor '"
							+ this.definition.processor() + "': its transaction could not be committed in "
							+ attempt + " attempts", ex);
				}
				logger.warn("Async step '" + this.definition.step().name() + "': committing its transaction timed "
						+ "out, trying again: " + ex.getMessage());
			}
		}
	}

	/** Commits what is finished: on stop, and before partitions are taken away. */
	private void commitFinished() {
		if (this.definition.exactlyOnce()) {
			releaseInOffsetOrder();
			commitTransaction(this.queues.takeCommittable());
			return;
		}
		this.producer.flush();
		applyAcks();
		this.queues.releaseHeads((work) -> work.status == Work.Status.ACKED, (work) -> {
		});
		Map<TopicPartition, OffsetAndMetadata> offsets = this.queues.takeCommittable();
		if (!offsets.isEmpty()) {
			this.consumer.commitSync(offsets, Duration.ofSeconds(10));
			this.queues.committed(offsets);
		}
	}

	/**
	 * A written result or dead letter. A result the broker refuses for good (too large for
	 * the topic) is handled like a call that failed: dead letter, skip or fail. Anything else
	 * that could not be written stops the step: skipping it would lose the record.
	 */
	private void acked(Acked acked) {
		Work work = acked.work();
		Exception error = acked.error();
		if (error == null) {
			work.status = Work.Status.ACKED;
			return;
		}
		boolean refusedResult = acked.topic().equals(this.definition.resultsTopic())
				&& !(error instanceof org.apache.kafka.common.errors.RetriableException)
				&& this.queues.holds(work);
		if (!refusedResult) {
			throw new AsyncStepException("Async step '" + this.definition.step().name() + "' of processor '"
					+ this.definition.processor() + "' could not write to '" + acked.topic() + "'", error);
		}
		Work.Outcome outcome = finalFailure(work, new AsyncStepException("the result could not be written to '"
				+ acked.topic() + "'", error));
		work.outcome = outcome;
		send(work);
	}

	/** Applies broker acknowledgements only, leaving other events for later. */
	private void applyAcks() {
		for (Event event : this.events) {
			if (event instanceof Acked acked) {
				this.events.remove(event);
				acked(acked);
			}
		}
	}

	private void applyBackpressure(boolean processorPaused) {
		AsyncStepOptions options = this.definition.options();
		int recordsRoom = options.effectiveMaxBufferedRecords() - this.definition.maxPollRecords();
		long bytesRoom = options.maxBufferedBytes() - this.definition.fetchMaxBytes();
		boolean full = processorPaused || this.queues.buffered() > recordsRoom || this.queues.bufferedBytes() > bytesRoom;
		Set<TopicPartition> assigned = this.consumer.assignment();
		if (full) {
			this.consumer.pause(assigned);
		}
		else if (!this.consumer.paused().isEmpty()
				&& this.queues.buffered() <= recordsRoom * 3L / 4 && this.queues.bufferedBytes() <= bytesRoom * 3 / 4) {
			this.consumer.resume(this.consumer.paused());
		}
	}

	private void publishStats() {
		this.stats.inFlight.set(this.queues.inFlight());
		this.stats.buffered.set(this.queues.buffered());
		this.stats.bufferedBytes.set(this.queues.bufferedBytes());
		this.stats.pausedPartitions.set(this.consumer.paused().size());
	}

	private void finish() {
		commitFinished();
	}

	private void finishQuietly() {
		try {
			commitFinished();
		}
		catch (RuntimeException ex) {
			logger.warn("Async step '" + this.definition.step().name() + "' of processor '"
					+ this.definition.processor() + "' could not commit its finished records on stop; they are "
					+ "processed again: " + ex);
		}
	}

	private void fail(Throwable error) {
		this.stats.failed(error);
		if (this.running) {
			// After a stop the processor may already run a new instance: not its failure.
			this.onFailure.accept(error);
		}
		logger.error("Async step '" + this.definition.step().name() + "' of processor '" + this.definition.processor()
				+ "' stopped; records after the last committed one are processed again when it starts", error);
		if (this.definition.exactlyOnce() && this.inTransaction) {
			try {
				this.producer.abortTransaction();
			}
			catch (RuntimeException ex) {
				// Fenced, fatal or timed out: the broker aborts it when the producer is gone.
			}
			this.inTransaction = false;
		}
		else if (!this.definition.exactlyOnce()) {
			try {
				commitFinished();
			}
			catch (RuntimeException ex) {
				logger.debug("Commit after failure failed: " + ex);
			}
		}
	}

	private void close() {
		this.timers.shutdownNow();
		if (this.blockingPool != null) {
			this.blockingPool.shutdownNow();
		}
		try {
			this.consumer.close(Duration.ofSeconds(5));
		}
		catch (KafkaException ex) {
			logger.debug("Closing the consumer of async step '" + this.definition.step().name() + "': " + ex);
		}
		try {
			this.producer.close(Duration.ofSeconds(5));
		}
		catch (KafkaException ex) {
			logger.debug("Closing the producer of async step '" + this.definition.step().name() + "': " + ex);
		}
	}

	private static String stackTrace(Throwable error) {
		StringWriter writer = new StringWriter();
		error.printStackTrace(new PrintWriter(writer));
		String trace = writer.toString();
		return (trace.length() <= 8192) ? trace : trace.substring(0, 8192) + "\n\t... (truncated)";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			try {
				applyEvents();
				commitFinished();
				AsyncStepWorker.this.queues.remove(partitions, AsyncStepWorker.this::abandon);
			}
			catch (RuntimeException ex) {
				// Nothing of the open transaction may be committed later without its offsets:
				// abort it, forget every partition and read the ones still held again.
				abortAndForgetAll();
				AsyncStepWorker.this.rewindAfterRebalance = true;
				AsyncStepWorker.this.pendingFailure = ex;
			}
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			if (AsyncStepWorker.this.definition.exactlyOnce() && AsyncStepWorker.this.inTransaction) {
				// Results of the lost partitions may be in the open transaction: abort it and
				// read every partition still held again, once the group has settled.
				abortAndForgetAll();
				AsyncStepWorker.this.rewindAfterRebalance = true;
				return;
			}
			AsyncStepWorker.this.queues.remove(partitions, AsyncStepWorker.this::abandon);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			AsyncStepWorker.this.stats.assignments.increment();
			if (AsyncStepWorker.this.rewindAfterRebalance) {
				AsyncStepWorker.this.rewindAfterRebalance = false;
				rewind(AsyncStepWorker.this.consumer.assignment());
			}
		}

	}

	private void abortAndForgetAll() {
		if (this.definition.exactlyOnce() && this.inTransaction) {
			try {
				this.producer.abortTransaction();
			}
			catch (RuntimeException ex) {
				throw new AsyncStepException("Async step '" + this.definition.step().name()
						+ "' could not abort its transaction", ex);
			}
			this.inTransaction = false;
			this.sendFailure = null;
		}
		Set<TopicPartition> all = new HashSet<>(this.consumer.assignment());
		this.queues.remove(all, this::abandon);
	}

	/** A call whose record was dropped: stop a blocking one, so it frees its pool thread. */
	private void abandon(Work work) {
		Future<?> task = work.task;
		if (task != null) {
			task.cancel(true);
		}
	}

	private void rewind(Set<TopicPartition> partitions) {
		Set<TopicPartition> held = new HashSet<>(partitions);
		held.removeIf((partition) -> !this.consumer.assignment().contains(partition));
		if (held.isEmpty()) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> committed = this.consumer.committed(held, Duration.ofSeconds(30));
		for (TopicPartition partition : held) {
			OffsetAndMetadata offset = committed.get(partition);
			if (offset != null) {
				this.consumer.seek(partition, offset);
			}
			else {
				this.consumer.seekToBeginning(List.of(partition));
			}
		}
	}

	private sealed interface Event permits CallDone, Retry, Acked {

	}

	private record CallDone(Work work, @Nullable Object result, @Nullable Throwable error) implements Event {

	}

	private record Retry(Work work) implements Event {

	}

	private record Acked(Work work, String topic, @Nullable Exception error) implements Event {

	}

}
