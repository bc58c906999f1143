package org.n2dlive.cli;

import java.io.IOException;
import java.util.List;
import org.n2dlive.profile.Profile;

/** The profile a command line names: {@code --profile NAME|FILE} with its {@code --set KEY=VALUE} overrides. Stateless. */
final class ProfileArgs {
    private ProfileArgs() {
    }

    /** A profile by name or file, with the overrides applied in order. */
    static Profile resolve(String nameOrFile, List<String> overrides) throws IOException {
        Profile profile = Profile.resolve(nameOrFile);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + o + "'");
            profile = profile.with(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return profile;
    }
}
