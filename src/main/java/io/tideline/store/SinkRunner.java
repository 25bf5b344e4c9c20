package io.tideline.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.SmartLifecycle;

/** Runs each sink loop on a thread of its own for the life of the application. */
public class SinkRunner implements SmartLifecycle {

    private final List<SinkLoop> loops;
    private final List<Thread> threads = new ArrayList<>();

    public SinkRunner(List<SinkLoop> loops) {
        this.loops = loops;
    }

    @Override
    public synchronized void start() {
        for (SinkLoop loop : loops) {
            Thread thread = new Thread(loop, "tideline-sink-" + loop.name());
            thread.start();
            threads.add(thread);
        }
    }

    @Override
    public synchronized void stop() {
        loops.forEach(SinkLoop::stop);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !threads.isEmpty();
    }

    public List<SinkLoop> loops() {
        return loops;
    }

    @Override
    public int getPhase() {
        return 200;
    }
}
