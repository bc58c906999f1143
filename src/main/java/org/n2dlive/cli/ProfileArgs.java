package org.n2dlive.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.n2dlive.profile.Profile;

/** The profile a command line names: {@code --profile NAME|FILE} with its {@code --set KEY=VALUE} overrides. Stateless. */
final class ProfileArgs {
    private ProfileArgs() {
    }

    /** A profile by name or file, with the overrides applied in order, then {@code more} (KEY=VALUE too). */
    static Profile resolve(String nameOrFile, List<String> overrides, String... more) throws IOException {
        Profile profile = Profile.resolve(nameOrFile);
        List<String> all = new ArrayList<>(overrides);
        all.addAll(Arrays.asList(more));
        for (String o : all) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + o + "'");
            profile = profile.with(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return profile;
    }
}
