package dev.tributary.samples.gettingstarted;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class WordCountApplication {

    public static void main(String[] args) {
        SpringApplication.run(WordCountApplication.class, args);
    }
}
