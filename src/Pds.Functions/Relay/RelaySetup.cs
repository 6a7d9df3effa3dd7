using Pds.Azure.SignalR;
using Pds.Functions.Firehose;
using Pds.Functions.Hosting;

namespace Pds.Functions.Relay;

/// <summary>
/// The hooks PdsHost calls for running the roles in separate processes: how the sequencer's
/// announcements travel (in-process or SignalR), how a relay hears them (SignalR and polling),
/// and the edge between relay and api (forwarding on one side, the shared secret on the other).
/// </summary>
public static class RelaySetup
{
    public static void AddServices(IServiceCollection services, PdsConfig config)
    {
        if (config.SignalR is { } signalR && config.Roles.HasFlag(PdsRoles.Sequencer))
        {
            services.AddSingleton(_ => new SignalRRestPublisher(signalR));
            services.AddSingleton<IFirehoseAnnouncer>(sp => new SignalRFirehoseAnnouncer(
                sp.GetRequiredService<SignalRRestPublisher>(), config.SignalRHub, sp.GetRequiredService<FirehoseHub>(),
                sp.GetRequiredService<ILogger<SignalRFirehoseAnnouncer>>()));
        }
        else
        {
            services.AddSingleton<IFirehoseAnnouncer, LocalFirehoseAnnouncer>();
        }
        // With the sequencer in this process its announcements are local and always arrive.
        if (config.Roles.HasFlag(PdsRoles.Relay) && !config.Roles.HasFlag(PdsRoles.Sequencer))
        {
            services.AddHostedService<RelayAnnouncementListener>();
        }
        if (config.ForwardTo is not null)
        {
            services.AddSingleton<RelayForwarder>();
        }
        else if (config.ForwardSecret is not null && config.Roles.HasFlag(PdsRoles.Api))
        {
            services.AddSingleton<ForwardSecretGate>();
        }
    }

    /// <summary>First in the pipeline: the relay's forwarding must precede CORS and rate limits, which the api applies.</summary>
    public static void UseEdge(WebApplication app, PdsConfig config)
    {
        if (config.ForwardTo is not null)
        {
            var forwarder = app.Services.GetRequiredService<RelayForwarder>();
            app.Use((http, next) => IsSubscribeRepos(http.Request) ? next(http) : forwarder.ForwardAsync(http));
        }
        else if (config.ForwardSecret is not null && config.Roles.HasFlag(PdsRoles.Api))
        {
            var gate = app.Services.GetRequiredService<ForwardSecretGate>();
            app.Use((http, next) => gate.InvokeAsync(http, next));
        }
    }

    private static bool IsSubscribeRepos(HttpRequest request) =>
        string.Equals(request.Path.Value, "/xrpc/" + SubscribeRepos.Nsid, StringComparison.OrdinalIgnoreCase);
}
