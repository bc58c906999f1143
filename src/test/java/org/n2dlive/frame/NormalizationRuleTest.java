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
}
