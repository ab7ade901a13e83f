/**
 * One page of a list and the parameters that ask for it.
 */
@ApplicationModule(displayName = "Paging", allowedDependencies = {})
package dev.miniplatform.api.paging;

import org.springframework.modulith.ApplicationModule;
