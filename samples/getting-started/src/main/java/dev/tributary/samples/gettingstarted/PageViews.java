package dev.tributary.samples.gettingstarted;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PageViews {

    private final KafkaTemplate<String, String> kafka;

    private final JsonMapper json;

    PageViews(KafkaTemplate<String, String> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    @PostMapping("/page-views")
    void add(@RequestBody PageView view) {
        kafka.send("page-views", view.user(), json.writeValueAsString(view)).join();
    }
}
