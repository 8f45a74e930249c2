package dev.tributary.samples.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The shop's users and items, and random orders of them: what the generator sends, and
 * what the tests make from a fixed seed.
 */
final class Shop {

	/** The regions users live in and items come from. */
	static final List<String> REGIONS = List.of("andalusia", "bavaria", "provence", "tuscany");

	/** The users, by name: three in each region. */
	static final Map<String, User> USERS = users();

	/** The items, by name: three from each region. */
	static final Map<String, Item> ITEMS = items();

	/** A user the shop does not know (a random order may come from one). */
	static final String UNKNOWN_USER = "guest";

	/** An item the shop does not sell (a random order may ask for it). */
	static final String UNKNOWN_ITEM = "white-truffle";

	private static final List<String> USER_NAMES = List.copyOf(USERS.keySet());

	private static final List<String> ITEM_NAMES = List.copyOf(ITEMS.keySet());

	private Shop() {
	}

	/**
	 * Random orders at random times in a time range. Half of the buyers choose an item of
	 * their own region, the others any item.
	 * @param random the randomness (a fixed seed gives the same orders)
	 * @param from the earliest order time
	 * @param span the length of the time range; order times are in {@code [from, from + span)}
	 * @param count how many orders
	 * @param unknownShare the share of orders from an unknown user, and again of orders for
	 * an unknown item
	 * @return the orders, in order time
	 */
	static List<Order> randomOrders(Random random, Instant from, Duration span, int count, double unknownShare) {
		List<Order> orders = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Instant time = from.plusMillis((long) (random.nextDouble() * span.toMillis()));
			orders.add(randomOrder(random, time, unknownShare));
		}
		orders.sort((a, b) -> a.orderTime().compareTo(b.orderTime()));
		return orders;
	}

	/**
	 * A random order at a given time.
	 * @param random the randomness
	 * @param time the order time
	 * @param unknownShare the share of orders from an unknown user, and again of orders for
	 * an unknown item
	 * @return the order
	 */
	static Order randomOrder(Random random, Instant time, double unknownShare) {
		String user = USER_NAMES.get(random.nextInt(USER_NAMES.size()));
		String item = random.nextBoolean() ? itemFrom(random, USERS.get(user).address())
				: ITEM_NAMES.get(random.nextInt(ITEM_NAMES.size()));
		if (random.nextDouble() < unknownShare) {
			user = UNKNOWN_USER;
		}
		if (random.nextDouble() < unknownShare) {
			item = UNKNOWN_ITEM;
		}
		return new Order(user, item, time, 1 + random.nextInt(5));
	}

	/**
	 * An order of a random buyer of a region for a random item of the same region.
	 * @param random the randomness
	 * @param region the region
	 * @param time the order time
	 * @return the order
	 */
	static Order localOrder(Random random, String region, Instant time) {
		List<String> buyers = USER_NAMES.stream().filter((name) -> USERS.get(name).address().equals(region)).toList();
		if (buyers.isEmpty()) {
			throw new IllegalArgumentException("No region '" + region + "'; the regions are " + REGIONS);
		}
		return new Order(buyers.get(random.nextInt(buyers.size())), itemFrom(random, region), time,
				1 + random.nextInt(5));
	}

	private static String itemFrom(Random random, String region) {
		List<String> local = ITEM_NAMES.stream().filter((name) -> ITEMS.get(name).origin().equals(region)).toList();
		return local.get(random.nextInt(local.size()));
	}

	private static Map<String, User> users() {
		Map<String, User> users = new LinkedHashMap<>();
		users.put("lucia", new User("female", "andalusia", 36));
		users.put("pablo", new User("male", "andalusia", 48));
		users.put("carmen", new User("female", "andalusia", 61));
		users.put("anna", new User("female", "bavaria", 34));
		users.put("max", new User("male", "bavaria", 41));
		users.put("lena", new User("female", "bavaria", 27));
		users.put("camille", new User("female", "provence", 38));
		users.put("louis", new User("male", "provence", 52));
		users.put("chloe", new User("female", "provence", 23));
		users.put("giulia", new User("female", "tuscany", 45));
		users.put("marco", new User("male", "tuscany", 31));
		users.put("sofia", new User("female", "tuscany", 29));
		return Collections.unmodifiableMap(users);
	}

	private static Map<String, Item> items() {
		Map<String, Item> items = new LinkedHashMap<>();
		items.put("olive-oil", new Item(1390, "grocery", "andalusia"));
		items.put("jamon", new Item(2490, "meat", "andalusia"));
		items.put("sherry", new Item(1590, "wine", "andalusia"));
		items.put("pretzel", new Item(250, "bakery", "bavaria"));
		items.put("weisswurst", new Item(890, "meat", "bavaria"));
		items.put("sweet-mustard", new Item(350, "grocery", "bavaria"));
		items.put("lavender-honey", new Item(1290, "grocery", "provence"));
		items.put("herbes-de-provence", new Item(590, "spices", "provence"));
		items.put("rose-wine", new Item(1450, "wine", "provence"));
		items.put("chianti", new Item(1690, "wine", "tuscany"));
		items.put("pecorino", new Item(1190, "cheese", "tuscany"));
		items.put("cantucci", new Item(490, "bakery", "tuscany"));
		return Collections.unmodifiableMap(items);
	}

}
