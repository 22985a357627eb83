/**
 * The OpenID Connect providers of an account, one per CI issuer: GitLab (`https://<host>`, audience
 * the same URL) and GitHub Actions (`token.actions.githubusercontent.com`, audience
 * `sts.amazonaws.com`). An account holds one provider per issuer URL, shared by every environment in it.
 */
import { IamOpenidConnectProvider } from '../vendor/terraform';
import { Construct } from 'constructs';
import type { OidcIssuer } from './ci-trust';

/** Props of {@link CiOidcProviders}. */
export interface CiOidcProvidersProps {
  /** The issuers to create a provider for (`oidcIssuers(definitions)`). */
  readonly issuers: readonly OidcIssuer[];
}

/** The account's OIDC providers for the CI systems. */
export class CiOidcProviders extends Construct {
  /** The providers by CI system (escape hatch). */
  public readonly providers: { readonly gitlab?: IamOpenidConnectProvider; readonly github?: IamOpenidConnectProvider };

  constructor(scope: Construct, id: string, props: CiOidcProvidersProps) {
    super(scope, id);
    const providers: { gitlab?: IamOpenidConnectProvider; github?: IamOpenidConnectProvider } = {};
    for (const issuer of props.issuers) {
      // Construct ids are a contract: they fix the providers' Terraform addresses.
      providers[issuer.system] = new IamOpenidConnectProvider(this, issuer.system === 'gitlab' ? 'Gitlab' : 'Github', {
        url: `https://${issuer.host}`,
        clientIdList: [issuer.audience],
      });
    }
    this.providers = providers;
  }

  /** Every provider created, for ordering the roles that trust them. */
  public get all(): IamOpenidConnectProvider[] {
    return [this.providers.gitlab, this.providers.github].filter((p): p is IamOpenidConnectProvider => p !== undefined);
  }
}
