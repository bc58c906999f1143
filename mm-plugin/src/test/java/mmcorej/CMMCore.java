package mmcorej;

/**
 * Our model of Micro-Manager's core for the plugin tests (the compile-only declaration throws): only whether a
 * camera sequence is running, which a test sets. Thread-safe.
 */
public class CMMCore {
   private volatile boolean sequenceRunning;

   public boolean isSequenceRunning() {
      return sequenceRunning;
   }

   /** Test: the camera starts or stops a sequence (a hardware-timed burst filling the core's circular buffer). */
   public void setSequenceRunning(boolean running) {
      sequenceRunning = running;
   }
}
