package io.orderpipeline.platform.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a request's {@code Transfer-Encoding} says about where its body ends (RFC 9112 §6.1, §6.3). Netty reads a
 * request whose codings do not end in {@code chunked} as having no body, and would run that body as the next request
 * on the connection; it reads a request with both {@code Content-Length} and {@code chunked} as chunked, after
 * dropping the {@code Content-Length}, so such a request cannot be told from a plainly chunked one once it arrives.
 */
public enum TransferCoding {
    /** No Transfer-Encoding: the body is Content-Length bytes. */
    NONE,
    /** Only {@code chunked}: served, and the connection then closes (it may have carried a Content-Length too). */
    CHUNKED,
    /** The final coding is not {@code chunked}: the body's end cannot be known, 400 and close. */
    UNFRAMED,
    /**
     * Ends in {@code chunked} after other codings (gzip ...), which this server does not decode: 400 and close (RFC
     * 9112 suggests 501; bad input gets a 4xx here, like every other request this server will not take).
     */
    UNSUPPORTED;

    /** @param values every Transfer-Encoding header line of the request, in order */
    public static TransferCoding of(List<String> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<String> codings = new ArrayList<>();
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (!codings.get(codings.size() - 1).equals("chunked")) {
            return UNFRAMED;
        }
        return codings.size() == 1 ? CHUNKED : UNSUPPORTED;
    }
}
