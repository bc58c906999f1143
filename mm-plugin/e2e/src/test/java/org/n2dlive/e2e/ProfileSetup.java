package org.n2dlive.e2e;

import java.io.File;
import java.util.Collections;
import org.micromanager.UserProfile;
import org.micromanager.internal.StartupSettings;
import org.micromanager.profile.internal.UserProfileAdmin;
import org.micromanager.profile.internal.gui.HardwareConfigurationManager;

/**
 * Prepares Micro-Manager's default user profile in {@code $HOME} (a private folder the test gives) so that MMStudio
 * starts without its profile and configuration chooser, with the given hardware configuration. Runs in a JVM of its
 * own before MMStudio: the profile's write lock is only released when the JVM ends.
 *
 * <p>Usage: {@code java -cp <Micro-Manager jars>:<test classes> org.n2dlive.e2e.ProfileSetup <config file>}
 */
public final class ProfileSetup {
    private ProfileSetup() {
    }

    public static void main(String[] args) throws Exception {
        String config = new File(args[0]).getAbsolutePath();
        UserProfileAdmin admin = UserProfileAdmin.create();
        UserProfile profile = admin.getProfile();
        StartupSettings startup = StartupSettings.create(profile);
        startup.setSkipProfileSelectionAtStartup(true);
        startup.setSkipConfigSelectionAtStartup(true);
        // The chooser's "recently used" list (most recent first) names the configuration MMStudio loads.
        profile.getSettings(HardwareConfigurationManager.class)
                .putStringList("RECENTLY_USED", Collections.singletonList(config));
        admin.shutdown();
        System.out.println("E2E profile prepared in " + System.getProperty("user.home") + ": " + config);
        System.exit(0);
    }
}
