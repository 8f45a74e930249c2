package dev.tributary.samples.gettingstarted;

import dev.tributary.query.QueryException;
import dev.tributary.query.StateStoreQueryService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class Counts {

    private final StateStoreQueryService queries;

    Counts(StateStoreQueryService queries) {
        this.queries = queries;
    }

    @GetMapping("/counts/{word}")
    long count(@PathVariable String word) {
        try {
            return queries.get("word-count", "word-counts", word).value(Long.class);
        }
        catch (QueryException ex) {
            if (ex.getReason() == QueryException.Reason.NOT_FOUND) {
                return 0;
            }
            throw ex;
        }
    }
}
