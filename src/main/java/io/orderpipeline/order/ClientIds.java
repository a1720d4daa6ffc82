package io.orderpipeline.order;

/** The id of an authenticated client, as orders, records, rows and logs carry it. */
public final class ClientIds {

    private ClientIds() {
    }

    /**
     * Whether a client id can name a client in records, rows and logs: 1-255 characters (code points, as the record
     * contract counts them), not only spaces, no control characters or bidirectional overrides.
     */
    public static boolean isUsable(String id) {
        return id != null && !id.isBlank() && id.codePointCount(0, id.length()) <= 255
                && id.chars().noneMatch(Character::isISOControl)
                && id.chars().noneMatch(c -> c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069);
    }
}
