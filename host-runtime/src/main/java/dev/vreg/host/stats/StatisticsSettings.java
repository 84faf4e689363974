package dev.vreg.host.stats;

import java.time.Duration;

/**
 * @param flushInterval   how often each node writes what it counted
 * @param hourlyRetention how long hourly rows are kept
 * @param dailyRetention  how long daily rows are kept
 * @param maxPending      rows a node holds at most while the database cannot be written
 */
public record StatisticsSettings(Duration flushInterval, Duration hourlyRetention, Duration dailyRetention,
                                 int maxPending) {
}
