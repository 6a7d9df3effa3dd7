using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pds.Azure.SignalR;
using Pds.Functions.Firehose;
using Pds.Functions.Hosting;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.Relay;

/// <summary>
/// The split deployment on one machine: an api+sequencer host and a relay host, two separate
/// PdsHost applications on the same SQLite data directory, the way the Function App and the relay
/// container share one storage account. The relay (<see cref="PdsServerFixture.BaseUrl"/>) fronts
/// the public URL, serves subscribeRepos and forwards the rest to the api host with the shared
/// secret. Announcements go through a SignalR Service stand-in unless a variant turns it off.
/// Both listen on the same port, the relay on 127.0.0.1 and the api on 127.0.0.2, so the api's
/// public URL (http://localhost:port, in DID documents) leads clients to the relay.
/// </summary>
public class RelayedPdsFixture : PdsServerFixture
{
    public const string ForwardSecret = "relay-test-forward-secret-0123456789";
    private const string ApiAddress = "127.0.0.2";
    private WebApplication? _api;

    public SignalRServiceStandIn? SignalR { get; private set; }

    /// <summary>The api+sequencer host's own address: what PDS_FORWARD_TO points at.</summary>
    public Uri ApiUrl => new($"http://{ApiAddress}:{Config.Port}/");

    public IServiceProvider ApiServices => _api?.Services ?? throw new InvalidOperationException("the api host is not running");

    /// <summary>The relay's hub: what its subscribeRepos sessions wait on.</summary>
    public FirehoseHub RelayHub => Services.GetRequiredService<FirehoseHub>();

    protected virtual bool UseSignalR => true;

    protected virtual TimeSpan PollInterval => TimeSpan.FromSeconds(2);

    public override async Task InitializeAsync()
    {
        if (UseSignalR)
        {
            SignalR = await SignalRServiceStandIn.StartAsync();
        }
        await base.InitializeAsync();
    }

    /// <summary>The relay's configuration; the api host's is derived from it in <see cref="OnStartingAsync"/>.</summary>
    protected override PdsConfig Configure(PdsConfig config) => config with
    {
        Roles = PdsRoles.Relay,
        ForwardTo = new Uri($"http://{ApiAddress}:{config.Port}"),
        ForwardSecret = ForwardSecret,
        RelayPollInterval = PollInterval,
        SignalR = SignalR is null ? null : SignalRConnectionString.Parse(SignalR.ConnectionString),
    };

    protected override async Task OnStartingAsync()
    {
        var api = Config with { Roles = PdsRoles.Api | PdsRoles.Sequencer, BindAddress = ApiAddress, ForwardTo = null };
        _api = await PdsHost.BuildAsync(api, Secrets);
        await _api.StartAsync();
    }

    protected override async Task OnStoppedAsync()
    {
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
            _api = null;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (SignalR is not null)
        {
            await SignalR.DisposeAsync();
        }
    }
}
