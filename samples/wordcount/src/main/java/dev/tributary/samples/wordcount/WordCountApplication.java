package dev.tributary.samples.wordcount;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Counts the words of the lines on topic {@code lines}; a generator keeps feeding it.
 */
@SpringBootApplication
@EnableScheduling
public class WordCountApplication {

	public static void main(String[] args) {
		SpringApplication.run(WordCountApplication.class, args);
	}

}
