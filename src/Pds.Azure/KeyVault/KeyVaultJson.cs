using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Pds.Azure.KeyVault;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class KeyVaultJson : JsonSerializerContext;
