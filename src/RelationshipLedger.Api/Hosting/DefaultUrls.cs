namespace RelationshipLedger.Api.Hosting;

public static class DefaultUrls
{
    public const string Loopback = "http://127.0.0.1:5080";

    /// <summary>Listens on <see cref="Loopback"/> unless ASPNETCORE_URLS, --urls or configuration say otherwise.</summary>
    public static void ListenOnLoopbackByDefault(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (
            string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"])
            && string.IsNullOrEmpty(builder.Configuration["HTTPS_PORTS"])
        )
            builder.WebHost.UseUrls(Loopback);
    }
}
