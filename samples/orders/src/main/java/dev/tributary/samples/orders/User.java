package dev.tributary.samples.orders;

/**
 * A user's profile, as topic {@code users} holds it (keyed by the user's name).
 *
 * @param gender the user's gender
 * @param address the region the user lives in, such as {@code tuscany}
 * @param age the user's age in years
 */
public record User(String gender, String address, int age) {

}
