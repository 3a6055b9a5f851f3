using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DdbCopy.TestSupport;

/// <summary>A Kestrel server on 127.0.0.1 with a free port, answering every request with one handler.</summary>
public static class LoopbackServer
{
    /// <returns>The running app (stop and dispose it when done) and its base URL, without a trailing slash.</returns>
    public static async Task<(WebApplication App, string Url)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var server = (IServer)app.Services.GetService(typeof(IServer))!;
        return (app, server.Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }
}
