package io.ringmq.amqp.codec;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629) for the codec: AMQP short strings must be UTF-8, and a field-table long string
 * becomes a {@code String} only when it is. The JDK's decoder would silently replace malformed input,
 * which would let two different keys on the wire become one String here.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /** @return the text of {@code bytes}, or null when they are not well-formed UTF-8. */
    static String decode(final byte[] bytes)
    {
        return isWellFormed(bytes) ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    /**
     * @return whether {@code bytes} is well-formed UTF-8: shortest forms only, no surrogate code points,
     *     nothing above U+10FFFF.
     */
    static boolean isWellFormed(final byte[] bytes)
    {
        int i = 0;
        final int n = bytes.length;
        while (i < n)
        {
            final int b = bytes[i] & 0xFF;
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int extra;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                extra = 1;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                extra = 2;
                if (b == 0xE0)
                {
                    lo = 0xA0; // shorter forms are overlong
                }
                else if (b == 0xED)
                {
                    hi = 0x9F; // U+D800..U+DFFF are surrogates
                }
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                extra = 3;
                if (b == 0xF0)
                {
                    lo = 0x90;
                }
                else if (b == 0xF4)
                {
                    hi = 0x8F; // beyond U+10FFFF
                }
            }
            else
            {
                return false;
            }
            if (i + extra >= n)
            {
                return false; // the sequence is cut short
            }
            final int second = bytes[i + 1] & 0xFF;
            if (second < lo || second > hi)
            {
                return false;
            }
            for (int k = 2; k <= extra; k++)
            {
                final int c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF)
                {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
    }
}
