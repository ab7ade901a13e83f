// Settings come from the merchant's ext config (the platform delivers it with the released version).
App({
  onLaunch() {
    const ext = (my.getExtConfigSync && my.getExtConfigSync()) || {};
    this.settings = Object.assign({
      programName: 'My Club', cardColor: '#c9a14a', memberApiBaseUrl: 'https://api.example.com/members',
      tiers: [{ name: 'Silver', minPoints: 0 }, { name: 'Gold', minPoints: 1000 }]
    }, ext);
  },
  tierOf(points) {
    return this.settings.tiers.filter((tier) => points >= tier.minPoints).pop();
  }
});
