// A tiny stateful job for Waymark's end-to-end tests: counts numbers per key in
// keyed ValueState, every operator with an explicit uid. The job is named after
// its program arguments joined with "|", so the test can check that arguments
// with spaces and quotes arrived exactly through the generated script.
// `--slow-start N` keeps its tasks initializing for N seconds at every start,
// like a job with a slow source or much state to restore. It builds against
// Flink 1.18 to 1.20 (open(Configuration) exists in all of them).

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public class WaymarkCounter {
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Checkpoints every two seconds: the runbook's verify waits for one after the restore.
        env.enableCheckpointing(2000);
        long slowStart = 0;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--slow-start")) {
                slowStart = Long.parseLong(args[i + 1]);
            }
        }
        env.fromSequence(0, Long.MAX_VALUE).uid("numbers").name("numbers")
            // Throttled while still chained to the source, so no backlog builds up
            // in network buffers and savepoint barriers pass at once.
            .map(new Throttle(slowStart)).uid("throttle").name("throttle")
            .keyBy(new KeySelector<Long, Long>() {
                @Override
                public Long getKey(Long n) {
                    return n % 4;
                }
            })
            .map(new Count()).uid("count").name("count")
            .print().uid("print").name("print");
        env.execute(args.length == 0 ? "waymark-counter" : String.join("|", args));
    }

    /** Passes numbers through at about 200 a second, after a slow start. */
    public static class Throttle extends RichMapFunction<Long, Long> {
        private final long slowStartSeconds;

        public Throttle(long slowStartSeconds) {
            this.slowStartSeconds = slowStartSeconds;
        }

        @Override
        public void open(Configuration parameters) throws Exception {
            Thread.sleep(slowStartSeconds * 1000);
        }

        @Override
        public Long map(Long n) throws Exception {
            Thread.sleep(5);
            return n;
        }
    }

    /** Counts the numbers seen per key. */
    public static class Count extends RichMapFunction<Long, String> {
        private transient ValueState<Long> seen;

        @Override
        public void open(Configuration parameters) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Long.class));
        }

        @Override
        public String map(Long n) throws Exception {
            Long before = seen.value();
            long count = before == null ? 1 : before + 1;
            seen.update(count);
            return (n % 4) + ":" + count;
        }
    }
}
