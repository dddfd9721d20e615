namespace MediaGateway.Sandbox;

public sealed class OidcIssuerOptions
{
    /// <summary>0 = an ephemeral port on 127.0.0.1.</summary>
    public int Port { get; set; }

    /// <summary>The audience of tokens issued through <c>POST /_sandbox/tokens</c> when the request names none.</summary>
    public string DefaultAudience { get; set; } = "media-gateway";

    /// <summary>The lifetime of tokens issued through <c>POST /_sandbox/tokens</c> when the request names none.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The issuer's clock: iat, nbf and exp of every token.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
