package dev.tributary.samples.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the shop must answer for a data set, worked out here with plain loops over the
 * events (in the order they are sent, which is time order), without any of the
 * processors' code: the payment rules, the payment window and the stock limits.
 *
 * <p>Every reservation of the simulation is for one unit. So where the paid
 * reservations of an item exceed its stock, which ones win depends on the order in which
 * reservations of different orders (different partitions) meet in the item's task, but
 * how many win does not: the stock, or the paid reservations if fewer. The expectation
 * is therefore exact per item, and per reservation wherever the stock covers every paid
 * one.
 */
final class ExpectedShop {

	/** The outcome of a reservation whose item is contested: reserved or rejected. */
	static final String RESERVED_OR_REJECTED = "RESERVED_OR_REJECTED";

	final Map<String, String> outcomes = new TreeMap<>();

	final Map<String, Reservation> reservations = new TreeMap<>();

	final Map<String, Stock> stock = new TreeMap<>();

	final Map<String, Payment> payments = new TreeMap<>();

	/** {@code path@window start} → count. */
	final Map<String, Long> requests = new TreeMap<>();

	/** Values that are no event a processor can read, by key. */
	final List<String> unreadable = new ArrayList<>();

	/** How many records the payments processor passes on: reservations and first valid payments. */
	final int checkoutRecords;

	record Reservation(String id, String order, String item, int quantity, long time) {
	}

	record Stock(int left, int reserved, int rejected) {
	}

	record Payment(String status, String reason, long amountCents, int attempts, Instant updatedAt) {
	}

	ExpectedShop(List<ShopTraffic.Event> events, Map<String, Integer> catalog, Duration window) {
		JsonMapper json = JsonMapper.builder().build();
		Map<String, Long> firstValidPayment = new LinkedHashMap<>();
		for (ShopTraffic.Event event : events) {
			JsonNode node;
			try {
				node = json.readTree(event.value());
			}
			catch (JacksonException ex) {
				this.unreadable.add(event.value());
				continue;
			}
			switch (node.path("type").asString()) {
				case "payment" -> {
					String order = node.get("orderId").asString();
					long amount = node.get("amountCents").asLong();
					String reason = (amount <= 0) ? "amount must be positive"
							: !node.get("currency").asString().equals("EUR")
									? "currency " + node.get("currency").asString() + " is not accepted"
									: node.get("card").asString().startsWith("blocked-") ? "card declined" : null;
					Payment before = this.payments.get(order);
					int attempts = (before != null) ? before.attempts() + 1 : 1;
					if (before != null && before.status().equals("VALIDATED")) {
						this.payments.put(order, new Payment("VALIDATED", null, before.amountCents(), attempts,
								before.updatedAt()));
					}
					else {
						this.payments.put(order, new Payment((reason == null) ? "VALIDATED" : "DECLINED", reason, amount,
								attempts, Instant.ofEpochMilli(event.timestamp())));
						if (reason == null) {
							firstValidPayment.put(order, event.timestamp());
						}
					}
				}
				case "reservation" -> {
					Reservation reservation = new Reservation(node.get("reservationId").asString(),
							node.get("orderId").asString(), node.get("item").asString(), node.get("quantity").asInt(),
							event.timestamp());
					this.reservations.put(reservation.id(), reservation);
				}
				case "request" -> {
					String target = node.get("line").asString().split(" ")[6];
					String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
					long minute = event.timestamp() - event.timestamp() % 60_000;
					this.requests.merge(path + "@" + minute, 1L, Long::sum);
				}
				default -> this.unreadable.add(event.value());
			}
		}
		this.checkoutRecords = this.reservations.size() + firstValidPayment.size();
		Map<String, Integer> paidPerItem = new TreeMap<>();
		for (Reservation reservation : this.reservations.values()) {
			if (reservation.quantity() != 1) {
				throw new IllegalStateException("The expectation assumes one unit per reservation: " + reservation);
			}
			Long paidAt = firstValidPayment.get(reservation.order());
			if (paidAt != null && Math.abs(paidAt - reservation.time()) <= window.toMillis()) {
				paidPerItem.merge(reservation.item(), 1, Integer::sum);
				this.outcomes.put(reservation.id(), "paid");
			}
			else {
				this.outcomes.put(reservation.id(), "EXPIRED");
			}
		}
		paidPerItem.forEach((item, paid) -> {
			int initial = catalog.get(item);
			int reserved = Math.min(paid, initial);
			this.stock.put(item, new Stock(initial - reserved, reserved, paid - reserved));
		});
		this.outcomes.replaceAll((id, outcome) -> {
			if (!outcome.equals("paid")) {
				return outcome;
			}
			Stock item = this.stock.get(this.reservations.get(id).item());
			return (item.rejected() == 0) ? "RESERVED" : RESERVED_OR_REJECTED;
		});
	}

}
