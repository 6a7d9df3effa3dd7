using System.Net;
using Pds.Core.Auth;
using Pds.Core.Crypto;
using Pds.Core.Sequencer;
using Pds.Core.Services;
using Pds.Core.Syntax;
using Pds.Functions.Firehose;
using Pds.Functions.Relay;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Hosting;

/// <summary>
/// Composes the PDS: configuration, storage backend, domain services, the XRPC edge, the
/// firehose and the in-process sequencer. Program.cs and tests both start it through here.
/// </summary>
public static class PdsHost
{
    public static async Task<WebApplication> BuildAsync(PdsConfig config, PdsSecrets secrets, Action<WebApplicationBuilder>? customize = null)
    {
        // Opening the database (native library, migrations check, master key check) overlaps with
        // building the web host on another core: ~15 ms off a cold start (bench/coldstart/README.md).
        var storageOpening = Task.Run(() => PdsBackends.OpenAsync(config, secrets, TimeProvider.System));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(config.BindAddress), config.Port);
            k.Limits.MaxRequestBodySize = config.BlobUploadLimit + 1024 * 1024;
            k.AddServerHeader = false;
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(secrets);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => TidGenerator.WithRandomClockId());
        services.AddSingleton(sp => new TokenService(secrets.JwtSecret, config.ServiceDid, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new HostSettings(secrets.AdminPassword));

        var storage = await storageOpening;
        storage.Register(services);

        services.AddSingleton<ChannelSequencerSignal>();
        services.AddSingleton<SequencerService>();
        services.AddSingleton<FirehoseHub>();
        RelaySetup.AddServices(services, config);
        services.AddSingleton(new FirehoseSettings(config.BackfillLimit));
        services.AddSingleton<LogRetention>();
        services.AddSingleton<SequencedNotices>();
        services.AddSingleton(new CrawlSettings(config.Hostname, config.Crawlers));
        services.AddHttpClient<CrawlNotifier>();
        // Under the Functions host the sequencer runs per queue invocation, not as a loop.
        if (config.Roles.HasFlag(PdsRoles.Sequencer) && config.FunctionsHostPort is null)
        {
            if (config.StorageBackend == StorageBackend.Azure)
            {
                services.AddHostedService<Azure.QueueSequencerWorker>();
            }
            else
            {
                services.AddHostedService<SequencerWorker>();
            }
        }
        if (config.Roles.HasFlag(PdsRoles.Api))
        {
            // Temporary uploads belong to the api role; a relay never touches media.
            services.AddHostedService<BlobJanitor>();
        }

        services.AddSingleton<RepoService>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton(new AccountSettings(
            config.PublicUrl, config.ServiceHandleDomains, config.InviteRequired, storage.PlcRotationKey ?? Keypair.Import(KeyType.Secp256k1, secrets.PlcRotationKey)));
        Identity.Register(services, config);
        services.AddHttpClient(nameof(DidDocuments), c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new DidDocuments(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DidDocuments)), config, sp.GetRequiredService<TimeProvider>()));

        foreach (var type in typeof(IXrpcMethod).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IXrpcMethod).IsAssignableFrom(t)))
        {
            services.AddSingleton(typeof(IXrpcMethod), type);
        }
        services.AddSingleton<XrpcEndpoint>();
        services.AddCors();
        if (config.RateLimitsEnabled)
        {
            RateLimits.Add(services);
        }
        customize?.Invoke(builder);

        var app = builder.Build();
        RelaySetup.UseEdge(app, config);
        // Browser clients (the Bluesky web app) call the PDS from other origins.
        app.UseCors(p => p.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("*"));
        if (config.RateLimitsEnabled)
        {
            app.UseRateLimiter();
        }
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        // Every handler is a plain RequestDelegate (HttpContext → Task): handlers with other
        // parameters make ASP.NET Core build and compile an expression tree per route at start-up
        // (System.Linq.Expressions, dynamic methods to JIT), memory and time a small PDS can keep.
        // The Functions host probes GET / until anything answers; the home page does.
        app.MapGet("/", WellKnown.Home);
        app.MapGet("/xrpc/_health", WellKnown.Health);
        if (config.Roles.HasFlag(PdsRoles.Relay))
        {
            app.Map("/xrpc/" + SubscribeRepos.Nsid, SubscribeRepos.HandleAsync);
        }
        if (config.Roles.HasFlag(PdsRoles.Api))
        {
            app.MapGet("/.well-known/atproto-did", WellKnown.AtprotoDid);
            app.Map("/xrpc/{nsid}", http => http.RequestServices.GetRequiredService<XrpcEndpoint>()
                .HandleAsync(http, (string)http.Request.RouteValues["nsid"]!));
        }
        if (config.Roles.HasFlag(PdsRoles.Sequencer) && config.FunctionsHostPort is not null)
        {
            app.MapPost("/" + FunctionsInvocation.SequencerFunction, FunctionsInvocation.SequencerAsync);
            app.MapPost("/" + FunctionsInvocation.SweepFunction, FunctionsInvocation.SweepAsync);
        }
        app.Lifetime.ApplicationStopped.Register(() => storage.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }
}
