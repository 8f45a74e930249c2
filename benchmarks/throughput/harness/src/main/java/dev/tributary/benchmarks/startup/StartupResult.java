package dev.tributary.benchmarks.startup;

import java.util.List;

/**
 * The launches of one application.
 *
 * @param app the application's name
 * @param contextStartedMillis JVM launch until Spring Boot's "Started", by launch
 * @param runningMillis JVM launch until every processor RUNNING, by launch
 */
public record StartupResult(String app, List<Double> contextStartedMillis, List<Double> runningMillis) {
}
