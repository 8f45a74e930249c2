package dev.tributary.samples.gettingstarted;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class Lines {

    private final KafkaTemplate<String, String> kafka;

    Lines(KafkaTemplate<String, String> kafka) {
        this.kafka = kafka;
    }

    @PostMapping("/lines")
    void add(@RequestBody String line) {
        kafka.send("lines", line).join();
    }
}
