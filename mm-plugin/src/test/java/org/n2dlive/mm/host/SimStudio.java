package org.n2dlive.mm.host;

import org.micromanager.LogManager;
import org.micromanager.Studio;
import org.micromanager.data.DataManager;

/** Test Studio: data() and logs(). */
public final class SimStudio implements Studio {
    private final SimDataManager data = new SimDataManager();
    private final SimLog log = new SimLog();

    @Override
    public DataManager data() {
        return data;
    }

    @Override
    public LogManager logs() {
        return log;
    }

    public SimLog log() {
        return log;
    }
}
