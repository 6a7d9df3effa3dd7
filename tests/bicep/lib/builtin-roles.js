'use strict';
// The built-in roles this deployment may assign, as Microsoft documents them: name -> role
// definition id. Sources (checked 2026-11): "Azure built-in roles" reference,
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/web-and-mobile
// (each role's JSON there has "name": <this GUID> and "roleName": <this name>; fd53cd77 was
// listed as "SignalR Serverless Contributor" before its rename to SignalR REST API Owner).
// infra/bicep/roles.json must hold exactly these pairs for the roles it lists.
module.exports = Object.freeze({
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Key Vault Crypto Officer': '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424',
  'Key Vault Reader': '21090545-7ca7-4776-b22c-e363652d74d2',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'SignalR REST API Owner': 'fd53cd77-2268-407a-8f46-7e7863d0f521',
  'AcrPull': '7f951dda-4ed3-4680-a7ca-43fe172d538d',
});
