using System.Net;
using Pds.Core.Identity;
using Pds.Net;

namespace Pds.Functions.Hosting;

/// <summary>Wires the identity adapters: the PLC directory client, DID and handle resolvers, DNS.</summary>
public static class Identity
{
    public static void Register(IServiceCollection services, PdsConfig config)
    {
        services.AddHttpClient("identity", c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IPlcClient>(sp => new PlcClient(Client(sp), new Uri(config.PlcUrl)));
        services.AddSingleton<IDidResolver>(sp => new DidResolver(sp.GetRequiredService<IPlcClient>(), Client(sp), null, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDnsTxtClient>(_ => new DnsTxtClient(Nameserver(config)));
        services.AddSingleton<IHandleResolver>(sp => new HandleResolver(
            sp.GetRequiredService<IDnsTxtClient>(), Client(sp), new HandleResolverOptions { AllowHttpForLocalhost = config.IsLocal }));
    }

    private static HttpClient Client(IServiceProvider sp) => sp.GetRequiredService<IHttpClientFactory>().CreateClient("identity");

    /// <summary>PDS_DNS_NAMESERVER (host or host:port) overrides the first nameserver of /etc/resolv.conf.</summary>
    private static IPEndPoint Nameserver(PdsConfig config)
    {
        if (config.DnsNameserver is { } configured)
        {
            return IPEndPoint.TryParse(configured, out var ep)
                ? ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep
                : throw new ConfigException("PDS_DNS_NAMESERVER must be an IP address with an optional :port");
        }
        return new IPEndPoint(ResolvConf.FirstNameserver() ?? IPAddress.Loopback, 53);
    }
}
