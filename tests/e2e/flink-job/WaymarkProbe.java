// The job flink_cli_accepts.sh submits: the smallest program that every Flink
// release from 1.9 to 2.x runs unchanged (each call it makes exists with the
// same signature in all of them), so that `flink run` gets past the program
// to the JobManager. Built against the oldest version tested.

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public class WaymarkProbe {
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromElements(1L, 2L, 3L).print();
        env.execute("waymark-probe");
    }
}
