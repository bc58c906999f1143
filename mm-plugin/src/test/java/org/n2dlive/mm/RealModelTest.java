package org.n2dlive.mm;

/** Placeholder until the profile API lands. */
class RealModelTest {
    static final String TINY_PROFILE = "tiny";
}
