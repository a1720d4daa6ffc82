package io.orderpipeline.platform.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.orderpipeline.order.ClientIds;
import io.orderpipeline.platform.http.ErrorBody;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;

/**
 * Mutual TLS on the API ({@code orders.http.tls.client-truststore}): the TLS handshake already required a certificate
 * that the trust store vouches for; this names the client after its subject's common name (CN), as an API key's line
 * names its client. In front of every API route, where no API keys or JWTs are configured (with them, they name the
 * client and the certificate only admits the connection).
 */
public final class ClientCertificates implements AuthenticationHandler {

    @Override
    public void handle(RoutingContext ctx) {
        String client = null;
        try {
            List<Certificate> chain = ctx.request().connection().peerCertificates();
            if (chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate certificate) {
                client = commonName(certificate);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: refused below
        }
        if (!ClientIds.isUsable(client)) {
            ErrorBody.send(ctx.response(), 401, "a client certificate whose subject has a common name is required");
            return;
        }
        ctx.setUser(User.fromName(client));
        ctx.next();
    }

    /** The certificate subject's CN, or null. */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // no usable name
        }
        return null;
    }
}
