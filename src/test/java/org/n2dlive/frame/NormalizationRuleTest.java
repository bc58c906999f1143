package org.n2dlive.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one parser of the normalization text (profiles, CLI, the stream model) and what each rule resolves to. */
class NormalizationRuleTest {

    @Test
    void wordsAndStatedMappings() {
        assertSame(Normalization.Rule.AUTO, Normalization.Rule.parse(" Auto "));
        assertSame(Normalization.Rule.FULL_RANGE, Normalization.Rule.parse("FULL-RANGE"));
        Normalization.Rule stated = Normalization.Rule.parse(" 100 , 4000 ");
        assertEquals("100,4000", stated.toString(), "canonical text, as profiles store it");
        assertEquals(100, stated.stated().offset());
        assertEquals(4000, stated.stated().scale());
        assertNull(Normalization.Rule.AUTO.stated());
    }

    @Test
    void badTextIsRefusedWithTheAllowedForms() {
        for (String bad : new String[] {"", "10", "0,-1", "0,0", "a,b", "1,2,3", "nan,1", "0,infinity", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.Rule.parse(bad), bad);
            assertTrue(e.getMessage().contains("auto, full-range or OFFSET,SCALE"), e.getMessage());
        }
    }

    @Test
    void rulesResolveOnTheFirstFrame() {
        short[] px = new short[1000];
        for (int i = 0; i < px.length; i++) px[i] = (short) (1000 + i); // 1000..1999
        Frame f = Frame.wrap(1000, 1, px);
        Normalization auto = Normalization.Rule.AUTO.resolve(f);
        // 0.1th percentile of 1000 values is the first; range 999 stretched by the 1.25 headroom
        assertEquals(1000, auto.offset());
        assertEquals(999 * 1.25, auto.scale(), 1e-9);
        assertEquals(1.25, Normalization.AUTO_HEADROOM);
        Normalization full = Normalization.Rule.FULL_RANGE.resolve(f);
        assertEquals(0, full.offset());
        assertEquals(65535, full.scale());
        assertEquals(7, Normalization.Rule.parse("7,9").resolve(f).offset());
        assertEquals(255, Normalization.Rule.AUTO.resolve(Frame.wrap(2, 1, new byte[] {3, 9})).scale(),
                "8-bit keeps the full range under auto");
    }

    /** 16-bit frames are counted, not sorted: the same offset and scale as the sort over the same values as floats. */
    @Test
    void sixteenBitFramesGiveTheSortedOrderStatistics() {
        java.util.Random r = new java.util.Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(5000);
            short[] px = new short[n];
            float[] fl = new float[n];
            int base = r.nextInt(60000), spread = 1 + r.nextInt(5536);
            for (int i = 0; i < n; i++) {
                int v = base + r.nextInt(spread); // up to 65535: values above 32767 are negative shorts
                px[i] = (short) v;
                fl[i] = v;
            }
            Normalization counted = Normalization.fromFrame(Frame.wrap(n, 1, px), 1.25);
            Normalization sorted = Normalization.fromFrame(Frame.wrap(n, 1, fl), 1.25);
            if (spread == 1) continue; // a flat frame: each type falls back to its own range
            assertEquals(sorted.offset(), counted.offset(), "offset, trial " + trial);
            assertEquals(sorted.scale(), counted.scale(), 1e-9, "scale, trial " + trial);
        }
    }
}
