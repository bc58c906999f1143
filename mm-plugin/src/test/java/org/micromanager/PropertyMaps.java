package org.micromanager;

import org.n2dlive.mm.contract.ModelPropertyMap;

/**
 * Test classpath only. The plugin calls Micro-Manager's static factory {@code PropertyMaps} (a class, not an
 * interface, so no test double can be handed in); mmstudio-api declares it without behaviour. On the test
 * classpath this class comes before mmstudio-api's declaration and hands out our contract model's maps instead.
 * It has the declaration's two members only; Micro-Manager's real class is used whenever Micro-Manager runs.
 */
public final class PropertyMaps {
    private PropertyMaps() {
    }

    public static PropertyMap.Builder builder() {
        return ModelPropertyMap.builder();
    }

    public static PropertyMap emptyPropertyMap() {
        return ModelPropertyMap.empty();
    }
}
