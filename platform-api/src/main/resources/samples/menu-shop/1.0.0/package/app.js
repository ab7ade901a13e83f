// Settings come from the merchant's ext config (the platform delivers it with the released version).
App({
  onLaunch() {
    const ext = (my.getExtConfigSync && my.getExtConfigSync()) || {};
    this.settings = Object.assign({
      shopName: 'My Shop', brandColor: '#1677ff', menuApiBaseUrl: 'https://api.example.com/menu',
      currency: 'CNY', takeaway: true
    }, ext);
    this.cart = [];
    my.setNavigationBar({ title: this.settings.shopName, backgroundColor: this.settings.brandColor });
  }
});
